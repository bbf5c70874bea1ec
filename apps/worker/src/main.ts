console.log('worker placeholder');
