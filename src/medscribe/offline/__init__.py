"""Offline stand-ins for the AWS AI services (local mode): pocketsphinx ASR, dictionary+rules NER.

Nothing is imported or built here: each backend loads its models lazily on first use.
"""
