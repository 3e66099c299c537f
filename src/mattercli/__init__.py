"""mattercli: the government matter catalogue (政务服务事项目录) as software."""

__version__ = "0.1.0"
