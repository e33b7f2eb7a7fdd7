"""The passes of inference, in the order :func:`pactcoder.ir.infer.infer_service` runs them.

Each pass is a function of what earlier passes returned (and :class:`.env.Env`: the
document, the problems, the model and sample makers); what it decides is its return
value, or the fields of the IR records it owns (noted in its module docstring).

======================  ====================================  ===========================
pass                    reads                                 returns / fills
======================  ====================================  ===========================
operations.operations   the document                          Operations (kinds, groups)
jobs.find_jobs          Operations                            Jobs (JOB kinds, status op)
resources.resources     Operations, the user schema           Resources
accounts.accounts       Operations, Resources                 Accounts (AuthSpec, +user)
resources.views         Resources                             Resources (views mapped)
actions.actions         Jobs, Resources, AuthSpec             Actions (machines, ACTION)
relations.relations     kinds, Resources, AuthSpec            Relations (RELATE/UNRELATE)
fields.fields_of        Relations, Resources, AuthSpec        Fields; embeds, owner...
tables.tables           Resources, Accounts, Fields           AuthSpec (roles); tables
keys.keys               Resources, Fields, AuthSpec           lookup, slug, embeds, tokens
appends.append_only     kinds, Resources                      append_only
actions.state_columns   Resources, Actions                    machine, state columns
references.references   Resources, Fields, AuthSpec           foreign keys, parents
references / relations  Resources, Relations                  value list, relation tables
rules.rules             Resources                             rules
defaults.inferred_...   Resources                             empty values of unknowns
upserts.upserts         kinds, Resources                      kinds (UPSERT), Upserts
jobs.jobs_spec          JobStatus, JobSpecs, users            JobsSpec
lists.orders            kinds, Resources                      orders; index of the first
endpoints.endpoints_of  Known (all of the above)              list[Endpoint]
credentials.credent...  AuthSpec, endpoints                   API key and login tables
errors.errors           the document                          Errors
modules.modules         the models, resources                 ordered models
examples.examples       Resources                             payloads, seeds
======================  ====================================  ===========================
"""
