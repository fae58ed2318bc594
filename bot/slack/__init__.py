"""liqbot's Slack edge: the Bolt app factory, the HTTP/Socket Mode servers and the app manifest.

Import what you need from the submodules (``bot.slack.app.build_app``,
``bot.slack.server.build_asgi``, ``bot.slack.manifest.render_manifest``): this package module stays
empty so that ``liqbot manifest`` does not load Bolt.
"""
