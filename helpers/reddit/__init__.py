"""Reaching Reddit: the PRAW client (praw.ini sites, environment variables, Colab secrets; the loopback server
offline) and tolerant readers of the fields Reddit's payloads may lack."""
