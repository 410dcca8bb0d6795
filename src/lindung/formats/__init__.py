"""How numbers and dates are written on every page, in both languages (FORMAT_MODULE_PATH).

The users are Indonesian officials reading Indonesian documents (KTP, KK, decrees, BPJS
letters), so the English interface writes numbers and dates the Indonesian way too: 1.224 and
17-09-1977, never 1,224 or 09/17/1977. Both locales load the same module (`common`).
API JSON is not touched by this: it keeps ISO dates and plain integers.
"""
