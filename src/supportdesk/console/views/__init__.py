"""The specialist's workspace: thin views over supportdesk.tickets (desk_queries to read, services to change)."""
