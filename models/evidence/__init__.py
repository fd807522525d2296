"""Evidence (佐证材料): uploads of photos and scans, and the policy's kinds of evidence."""
