"""Signals other apps subscribe to.

``response_changed(sender=Survey, survey_id=int)`` is sent after the transaction that stored or
withdrew a response has committed: the analysis app refreshes that survey's results on it.
"""

from django.dispatch import Signal

response_changed = Signal()
