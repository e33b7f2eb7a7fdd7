"""app/services/__init__.py: the use cases of the service, one module per resource.

Each ``app/services/<resource>.py`` is yours: created once, never overwritten,
it subclasses the generated base in app/services/generated/. A service checks
what the contract requires (the resource exists, its parent exists, the caller
owns it), calls its repositories, and returns response schemas. Routes call
services; services never see HTTP.
"""
