"""The due-soon digest of an office: what it holds, which office day it went out, and its e-mail."""
