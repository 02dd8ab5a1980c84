"""Fixes to the Rasa engine itself, applied in every process that loads the LANS model."""
