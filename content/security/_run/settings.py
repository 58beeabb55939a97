# Topic-wide settings for the security pages' runnable samples.
#
# security-anti-patterns.md: the payment webhook's shared secret.
PAYMENT_WEBHOOK_SECRET = "whsec-sample-not-a-real-secret"
