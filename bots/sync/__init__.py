"""Keeping bot-owned data current: the Hub block, leaderboard scores and their sources."""
