"""Who uses the bot and for which unit.

units: people, chats and units (hence plans), remembered on contact · glance: what a question needs of
its chat and asker, in one read · welcome: /start and /donvi ·
signin: one-time web sign-in links and browser sessions · audit: who did what on the web page · roster:
units and officer invites in bulk, from a spreadsheet · invites: /moi, the links that make an officer ·
joining: unit-wide links, whose join requests an admin approves or refuses · admins: who administers which
units (super-admins, appointed admins of a unit and its sub-units) · appointing: /quantri · privacy: erasure
on request and after the retention.
"""
