"""Reform statistics: records per matter, figures, report formats and charts."""
