"""The researcher's view: master tables, exports, plots and the static site."""
