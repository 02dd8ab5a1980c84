"""Dutch NLU for Rasa: the spaCy pipeline and custom graph components.

Only the engine environment (Python 3.10, rasa) imports this package.
"""
