"""Split by concern: org.py (issue 3) and demands.py (issue 5)."""
