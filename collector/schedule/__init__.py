"""The daily schedule: when to collect, as pure decisions from the clock and the database
(`planning`), the daemon that acts on them (`daemon`), the alerts it sends (`alerts`), and the
service files that run it at login (`service_files`)."""

# Here rather than in `planning`, so that the command line's --digest choice reads it without
# loading the scheduler (or zoneinfo) at every `ssi --help`.
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
