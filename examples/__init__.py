"""Example minutes of every layout, with what each should read as: the demo ingests them
and the tests read them. Package data of committee_kg."""
