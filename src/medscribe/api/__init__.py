"""The API's rules (issue 7): who is calling (``Caller`` from verified claims), what they may do, and the
request/response models. No boto3 here: ``service`` reaches the stores through ``medscribe.ports``."""
