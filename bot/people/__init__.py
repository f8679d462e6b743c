"""Who uses the bot and for which unit.

units: people, chats and units (hence plans), remembered on contact · welcome: /start and /donvi ·
invites: one-time links that make an officer · admins: who administers which units (super-admins,
appointed admins of a unit and its sub-units) · appointing: /quantri · privacy: erasure on request and
after the retention.
"""
