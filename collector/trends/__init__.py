"""What people look at: which pillar to work on (`advice`), pictures (`chart`), every snapshot
as CSV or JSON (`export`), and Datasette with a dashboard (`browse`). History itself is the
store's `daily` view, shown by the command line."""
