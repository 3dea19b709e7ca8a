"""The reconciliation report as the owner and the accountant get it: in Swedish or English, as
a CSV file for Excel, a PDF to file, and an e-mail with the PDF attached.

Made from a stored `sidecar.sync.reconcile.Report`; texts are the message codes of
`sidecar.messages` ("Reconciliation report"), rendered here without a web request (`words`).
"""

from sidecar.messages.words import Words
from sidecar.reports.csv_file import report_csv
from sidecar.reports.mail import MailFailed
from sidecar.reports.mail import report_mail
from sidecar.reports.mail import send_mail
from sidecar.reports.pdf_file import report_pdf

__all__ = ["MailFailed", "Words", "report_csv", "report_mail", "report_pdf", "send_mail"]
