"""app/services/generated/__init__.py: use cases as the contract describes them.

Rewritten on every build. The classes here are the bases of the services in
app/services/, which are yours to extend.
"""
