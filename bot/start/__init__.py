"""Process entry points; nothing imports them.

cli: the `campaign-bot` command and its knowledge sub-commands · cli_plans: the plans of the database ·
cli_office: units, export and erasure · cli_admins: appointed admins · terminal: `campaign-bot chat`, the
bot in a terminal · boot: start-up of any process (the database migrated, the Runtime) · application: the
python-telegram-bot Application · taken: updates kept until handled, and those a stopped process left ·
polling: `campaign-bot run` · webhook: `campaign-bot run --webhook` ·
http: the HTTP server, /healthz and /metrics · health: what /healthz reports · web: `campaign-bot web`,
the office's web page (bot/web), alone or beside the bot.
"""
