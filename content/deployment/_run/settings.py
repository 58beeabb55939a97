# Topic-wide settings for the deployment pages' runnable samples.
import os as _os

# The environment a deployment provides. Production settings read these with
# os.environ[...] on purpose, so they must exist for the settings to import.
# The runner points every database alias at the page's own database, so the
# DB_* values are never used to connect.
for _name, _value in {
    "DJANGO_SECRET_KEY": "x7$kq!2vRm9@Lp4#sWz8&nB3^tYc6*Hd1(Gf5)Jh0_Ke-Ua+Qi=Ow[Rs]Tv{Xy}",
    "SECRET_KEY": "x7$kq!2vRm9@Lp4#sWz8&nB3^tYc6*Hd1(Gf5)Jh0_Ke-Ua+Qi=Ow[Rs]Tv{Xy}",
    "DJANGO_ALLOWED_HOSTS": "shop.example.com",
    "DB_NAME": "shop",
    "DB_USER": "shop",
    "DB_PASSWORD": "not-used",
    "DB_HOST": "localhost",
    "REDIS_URL": "redis://localhost:6379/0",
}.items():
    _os.environ.setdefault(_name, _value)

# scaling-horizontally.md: the replicas' hosts.
for _name in ("DB_REPLICA1_HOST", "DB_REPLICA2_HOST"):
    _os.environ.setdefault(_name, "localhost")
