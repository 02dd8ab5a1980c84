"""LANS assistant: Dutch NLU components (engine environment) and services (service environment)."""
