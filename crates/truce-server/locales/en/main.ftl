# The web pages' messages in English: the reference every other language follows, id by id.
site-name = Truce: ceasefire monitoring
skip-to-content = Skip to the content
language-switcher = Language
dashboard-title = Ceasefire monitoring dashboard
dashboard-lede = What the parties have alleged, what the mechanism has found, and the state of the border crossings, read from the public record.
map-title = Map of the border, provinces, crossings and newest reports
map-border = Durand Line (de facto border)
map-none = No border geometry is agreed in this record yet.
legend-crossing-open = Crossing open
legend-crossing-restricted = Crossing restricted
legend-crossing-closed = Crossing closed or deportations only
legend-report = Newest reports
allegations-title = Allegations per party
party = Party
allegations-made = Made
allegations-against = Against it
crossings-title = Border crossings
crossing = Crossing
status = Status
since = Since
none-yet = None yet.
crossing-closed-days = { $days ->
    [one] closed for { $days } day
   *[other] closed for { $days } days
}
crossing-alert = Alert: closed longer than the agreement allows ({ $provision })
reports-title = Newest reports
findings-title = Latest findings
incident = Incident
provision = Provision
determination = Determination
measures-title = Measures
measure-step = Step
footer-record = { $entries ->
    [one] The public record holds { $entries } entry.
   *[other] The public record holds { $entries } entries.
}
footer-checkpoint = Latest checkpoint
footer-api = API description
footer-health = Health
footer-verify = Check the record yourself:
status-open = Open
status-closed = Closed
status-restricted = Restricted
status-deportations_only = Deportations only
status-unknown = No status reported
status-violation = Violation
status-no_violation = No violation
status-inconclusive = Inconclusive
status-proposed = Proposed
status-final = Final
status-due = Due
status-in_progress = In progress
status-completed = Completed
status-lapsed = Lapsed
status-awaiting_reply = Awaiting the party's reply
status-awaiting_signatures = Awaiting signatures
status-investigating = Under investigation
status-withdrawn = Withdrawn
