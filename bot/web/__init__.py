"""The office's web page: server-rendered Vietnamese pages over the bot's database (never telegram).

app: the aiohttp application and its routes · auth: sign-in by one-time link, sessions, CSRF and who may
enter · render: the Jinja2 templates, and the answer pages · reading: the pages that only read (standings,
a unit, missing figures, downloads) · changing: the forms that change something (nudges, deadlines,
plans, units, invites), each one audited · charts: the small SVG chart of each indicator.
"""
