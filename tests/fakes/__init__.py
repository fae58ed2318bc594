"""Local stand-ins for what liqbot talks to: Slack's Web API (``slack_api``) and signed Slack
requests to liqbot's Request URL (``slack_requests``)."""
