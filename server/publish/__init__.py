"""Publishing: what a portal harvests and a researcher downloads.

dump        the whole dataset in five formats, one file per session, the parts, and
            SHA256SUMS, written deterministically and switched in atomically
dcat        the DCAT-AP catalogue and the VoID description of a dump
serialize   the one place triples become bytes (dumps and the web's descriptions)
"""
