"""The Textual app of annotty. Everything that is not UI lives in ``annotations``."""
