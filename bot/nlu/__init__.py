"""Dutch NLU for Rasa: the spaCy pipeline and custom graph components.

Only the engine environment (Python 3.10, rasa) imports this package.
"""

from bot.engine.fast_action_validation import install as _install_fast_action_validation

# Rasa imports this package in every process that loads the LANS model (the pipeline's
# custom components live here), which makes it the place to apply the engine fix.
_install_fast_action_validation()
