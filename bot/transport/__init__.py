"""Telegram as a channel: nothing about the campaign.

client: the Bot API HTTP client (aiohttp behind PTB's BaseRequest) · ordering: one chat's updates in
order, chats concurrently · windows: Telegram's outbound flood rules as sliding windows · budget: the
same windows in Redis, one budget for every replica · limiter: PTB's rate limiter on those windows ·
inbound: the per-user guard against a flood of messages · errors: Telegram's errors as codes, counted.
"""
