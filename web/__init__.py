"""The dashboard: server-rendered pages for township and county clerks, on top of models/."""
