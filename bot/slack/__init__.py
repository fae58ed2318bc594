"""liqbot's Slack edge: the Bolt app factory, the HTTP/Socket Mode servers and the app manifest.

Import what you need from the submodules (``bot.slack.app.build_app``,
``bot.slack.server.build_asgi``, ``bot.slack.manifest.render_manifest``): this package module stays
empty so that the manifest renderer can be used without loading Bolt. None of them imports
``commands``: the listeners and the slash command declarations are passed in.
"""
