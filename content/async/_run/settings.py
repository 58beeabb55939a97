# Extra settings for every page of the async topic (not shown to readers).
# Emails sent by samples go to django.core.mail.outbox instead of an SMTP server.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
