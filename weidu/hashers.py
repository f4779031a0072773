"""The password hasher: Argon2id, tuned for a memory cost an attacker pays on every guess.

Why not Django's default PBKDF2-SHA256 (1,000,000 rounds): its whole cost is CPU time, and on our
servers (two cores shared with everything else) that time stretched a login to 2–3 s under load,
while a GPU runs those rounds cheaply in parallel (~9,000 guesses/s per RTX 4090). Argon2id's cost
is memory: 64 MiB written and read back for each guess, so a GPU is bound by its memory bandwidth
(~1 TB/s / ~200 MB a guess, ≈ 5,000 guesses/s; both GPU figures are estimates, not measured
here) — no cheaper for an attacker than PBKDF2 at
1,000,000 rounds, above OWASP's Argon2id floor (19 MiB, t=2) — and it costs the server about a
third of PBKDF2's time here (figures in README, "Login time").

Stored PBKDF2 hashes still verify (settings.PASSWORD_HASHERS keeps it second) and are rewritten
as Argon2id at the user's next login.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idPasswordHasher(Argon2PasswordHasher):
    """Argon2id, 64 MiB, one pass, one lane (RFC 9106 / OWASP parameters, see the module note)."""

    memory_cost = 64 * 1024  # KiB
    time_cost = 1
    # One lane: on two shared cores more lanes add threads, not safety, and the attacker's
    # cost depends on memory x passes, which parallelism does not change.
    parallelism = 1
