"""Fortnox's change feed (the WebSocket Topics API) as an adapter: the messages and one
connection. No Flask, no database: the listener that keeps it open is `sidecar.jobs.change_feed`.
"""

from sidecar.fortnox_feed.protocol import TOPICS_URL
from sidecar.fortnox_feed.protocol import Event
from sidecar.fortnox_feed.protocol import Reply
from sidecar.fortnox_feed.session import FeedClosed
from sidecar.fortnox_feed.session import FeedRefused
from sidecar.fortnox_feed.session import TopicsSession
from sidecar.fortnox_feed.session import open_session

__all__ = ["TOPICS_URL", "Event", "FeedClosed", "FeedRefused", "Reply", "TopicsSession",
           "open_session"]
