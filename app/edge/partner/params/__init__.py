"""Request inputs of the Partner API: query parameters (`query`), request bodies decoded
strictly with the catalog's rules in their types (`bodies`), streamed multipart uploads
(`uploads`) and who is writing (`audit`)."""
