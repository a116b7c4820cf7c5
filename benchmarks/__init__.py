"""Benchmarks of DESIGN §8, run by ``make bench`` (``python -m benchmarks``).

Every performance figure is a ratio against a reference measured in the same run on the same
machine (a bare ``/healthz``, one bare SQL ``GROUP BY``, PostgreSQL's ``COPY``), because the
machines are shared and noisy; the correctness rows break things on purpose (a killed worker,
a stopped Redis, 200 people rushing 20 seats) and count what survived. See README.md here.

The benchmarks run on PostgreSQL and Redis, in their own database ``inspraak_bench`` (dropped
and created anew) and Redis database 14 (the only one flushed); never the developer's.
"""
