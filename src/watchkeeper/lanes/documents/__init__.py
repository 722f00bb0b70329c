"""Documents lane: listed persons and organisations named in reports and news (adverse media).

``extract`` turns a file (plain text, HTML, PDF) into one text with page offsets;
``scanning`` finds the listed names and UN reference numbers in it; ``alerts`` turns what was
found into one alert per document and entity for review.
"""
