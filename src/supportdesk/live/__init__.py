"""Live pages: the event bus, the Server-Sent Events stream beside Django, presence on the desk.

See docs/live.md for how a page declares what it shows and how the stream keeps it current.
"""
