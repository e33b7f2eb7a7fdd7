"""app/services/__init__.py: the use cases of the service, one module per resource.

A service checks what the contract requires (the resource exists, its parent
exists), calls its repositories, and returns response schemas. Routes call
services; services never see HTTP.
"""
