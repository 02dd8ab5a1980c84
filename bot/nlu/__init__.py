"""Dutch NLU for Rasa: the spaCy pipeline and custom graph components.

Only the engine environment (Python 3.10, rasa) imports this package.
"""

from bot.engine import install_speedups

# Rasa imports this package in every process that loads the LANS model (the pipeline's
# custom components live here), which makes it the place to apply the engine fixes.
install_speedups()
