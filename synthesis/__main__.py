from synthesis.cli import app

app(prog_name="synthesis")
