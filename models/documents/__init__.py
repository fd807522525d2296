"""Documents plumbing shared by every chain: the registry of document kinds and what their papers are owed for
(registry, decided, owed), the one Jinja2 environment and storing (render), the print and editable copies (pdf,
docx), masking, and the kinds several chains write (applications, minutes, registration forms). Each chain's own
documents live in its package, `models/chains/<chain>/documents/`."""
