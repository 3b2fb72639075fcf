"""Records: what the product keeps about its use, append-only and capped.

audit    → who asked what, who changed which document, who logged in
feedback → readers' verdicts on answers, exportable as gold lines
logfiles → the size-capped JSONL files both are written to
redact   → what of a typed question is kept (masked, hashed or verbatim)
throttle → failed logins slowed down, per session and per process
"""
