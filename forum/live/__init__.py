"""The live channel: Socket.IO namespace ``/live``, its rooms, snapshots and versioned events.

Domains plug in: check-in sends ``attendance``, the Q&A sends ``question``; each adds its part
of the ``snapshot`` a client gets when it connects or asks to resync.
"""

NAMESPACE = '/live'
