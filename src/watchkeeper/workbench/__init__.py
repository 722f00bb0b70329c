"""What an analyst needs beside an alert, as use cases that know nothing of HTTP: the
listing's context (``context``), the input that triggered the alert (``inputs``), a listed
entity's page (``entity``) and a flight's page (``flight``). Each takes an engine and the
person reading, audits the read (the pages show personal data) and returns frozen
dataclasses ready for a template."""
