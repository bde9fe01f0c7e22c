"""Executes notebooks with Jupyter's own client (nbclient) and renders them with nbconvert.

usage: python3 execute_notebooks.py KERNEL_NAME OUT_DIR NOTEBOOK...
For each notebook: runs every cell against KERNEL_NAME in the notebook's folder (errors are kept
as outputs, not raised, so the caller sees all of them), writes OUT_DIR/NAME.ipynb and
OUT_DIR/NAME.html, and prints one line "executed NAME seconds".
"""
import os
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbconvert import HTMLExporter


def main():
    kernel, out_dir, notebooks = sys.argv[1], sys.argv[2], sys.argv[3:]
    os.makedirs(out_dir, exist_ok=True)
    for path in notebooks:
        name = os.path.splitext(os.path.basename(path))[0]
        nb = nbformat.read(path, as_version=4)
        start = time.time()
        client = NotebookClient(nb, kernel_name=kernel, timeout=600, startup_timeout=180, allow_errors=True,
                                resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}})
        client.execute()
        nbformat.write(nb, os.path.join(out_dir, name + ".ipynb"))
        body, _ = HTMLExporter().from_notebook_node(nb)
        with open(os.path.join(out_dir, name + ".html"), "w", encoding="utf-8") as f:
            f.write(body)
        print("executed %s %.1f" % (name, time.time() - start), flush=True)


if __name__ == "__main__":
    main()
