"""The web application: server-rendered pages over the API, Arabic first."""
