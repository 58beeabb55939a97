"""The sample runner's own package inside a page's temporary project (not the guide's)."""
